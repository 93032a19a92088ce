class PagesController < ApplicationController
  def show
    @banner = ENV.fetch("APP_BANNER", "")
    @configuration_digests = ConfigurationDigest.of_environment
  end
end
