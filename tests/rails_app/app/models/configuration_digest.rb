require "digest"

# What the tests compare with the values they stored in AWS: one SHA-256 per variable of the boot-time configuration,
# never a value. A process's own ENV is the only place to ask: Puma and Sidekiq set their process titles, which
# overwrite /proc/<pid>/environ.
module ConfigurationDigest
  NAMES = %w[APP_BANNER DATABASE_URL PAYMENT_API_TOKEN SECRET_KEY_BASE].freeze

  def self.of_environment
    NAMES.to_h { |name| [name, ENV.key?(name) ? Digest::SHA256.hexdigest(ENV.fetch(name)) : nil] }
  end
end
