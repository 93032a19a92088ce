# The instance's configuration unit writes these at boot from SSM Parameter Store; without them the application
# must not start half-configured. Asset precompilation during the bake runs with SECRET_KEY_BASE_DUMMY instead.
if Rails.env.production? && ENV["SECRET_KEY_BASE_DUMMY"].blank?
  missing = %w[SECRET_KEY_BASE DATABASE_URL].reject { |name| ENV[name].present? }
  raise "boot configuration missing: #{missing.join(', ')} (is the configuration unit running?)" if missing.any?
end
