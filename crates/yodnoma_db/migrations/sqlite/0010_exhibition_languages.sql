-- The languages an exhibition is published in (a JSON list of tags): publishing is refused
-- while an image it shows lacks alt text in one of them. Exhibitions stored before were checked
-- against all four when they were published.
ALTER TABLE exhibitions ADD COLUMN languages TEXT NOT NULL DEFAULT '["ru","kk","uz","en"]';
