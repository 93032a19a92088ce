Rails.application.routes.draw do
  # The health check a load balancer asks: 200 once the application has booted, 500 otherwise.
  get "up" => "rails/health#show", as: :rails_health_check
  root "pages#show"
end
