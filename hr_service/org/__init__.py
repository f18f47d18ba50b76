"""The organisation as data (D-17): districts and streets, and the names of units and communities by date."""
