import hr_service.accounts.tables  # noqa: F401,E402  (its tables live on HR's metadata)
import hr_service.org.tables  # noqa: F401,E402  (its tables live on HR's metadata)
import hr_service.pay.tables  # noqa: F401,E402  (its tables live on HR's metadata)
import hr_service.ratings.tables  # noqa: F401,E402  (its tables live on HR's metadata)
import hr_service.recruitment.tables  # noqa: F401,E402  (its tables live on HR's metadata)
import hr_service.rewards.tables  # noqa: F401,E402  (its tables live on HR's metadata)
from hr_service.tables import metadata
from shared.migrate import run_env

run_env(metadata)
