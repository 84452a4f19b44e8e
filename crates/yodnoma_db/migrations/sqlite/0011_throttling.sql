-- Failed sign-ins older than the throttling window are deleted at every new failure, found
-- by their time alone.
CREATE INDEX login_failures_at ON login_failures (at);

-- Accounts made at /signup, by the address they came from: where sign-up is open, accounts
-- are free, and the limits of each account alone would bound nothing.
CREATE TABLE sign_ups (
    address TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE INDEX sign_ups_address ON sign_ups (address, at);
CREATE INDEX sign_ups_at ON sign_ups (at);
