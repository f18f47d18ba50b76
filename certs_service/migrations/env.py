from certs_service.tables import metadata
from shared.migrate import run_env

run_env(metadata)
