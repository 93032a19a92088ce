# Puma's settings come from the environment the systemd unit gives it (roles/rails_app/templates/puma.service.j2).
threads_count = ENV.fetch("RAILS_MAX_THREADS", 3)
threads threads_count, threads_count
bind ENV.fetch("PUMA_BIND", "tcp://0.0.0.0:3000")
workers ENV.fetch("WEB_CONCURRENCY", 0)
pidfile ENV["PIDFILE"] if ENV["PIDFILE"]
