DROP INDEX offers_yearly_window_idx;
