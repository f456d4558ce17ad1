-- The yearly pay-to-quit: HR's page counts each window's offers by outcome.
CREATE INDEX offers_yearly_window_idx ON offers (yearly_window_id, status);
