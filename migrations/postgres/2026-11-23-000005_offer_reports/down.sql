DROP TABLE retention_tallies;
DROP TABLE offer_tallies;
