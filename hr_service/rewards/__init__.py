"""Rewards for community workers from the community's own income (S4-13)."""
