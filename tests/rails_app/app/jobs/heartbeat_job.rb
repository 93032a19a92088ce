# A job that leaves proof of its run in Redis: the Molecule verify and make demo enqueue it and wait for the key.
class HeartbeatJob
  include Sidekiq::Job

  def perform(token)
    record = { "token" => token, "banner" => ENV.fetch("APP_BANNER", ""), "sidekiq" => Sidekiq::VERSION,
               "processed_at" => Time.now.utc.iso8601,
               "configuration_digests" => ConfigurationDigest.of_environment }
    Sidekiq.redis { |redis| redis.call("SET", "heartbeat:#{token}", JSON.generate(record), "EX", 3600) }
  end
end
