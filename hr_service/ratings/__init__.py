"""Community ratings (S1-4): the yearly round in which communities apply for 规范, 星级 or 花园."""
