from shared.migrate import run_env
from training_service.tables import metadata

run_env(metadata)
