# tests: integration tests (shell, TAP)

# --- the daemon on real servers (owner: lead)
TESTS += tests/intake.sh tests/crash.sh tests/uidvalidity.sh \
	tests/bad-input.sh tests/daemon.sh tests/delivery.sh \
	tests/lifecycle.sh tests/kinds.sh
EXTRA_DIST += tests/intake.sh tests/crash.sh tests/uidvalidity.sh \
	tests/bad-input.sh tests/daemon.sh tests/delivery.sh \
	tests/lifecycle.sh tests/kinds.sh \
	tests/tap.h tests/tap.sh tests/lib/redress.sh \
	tests/lib/mailread.py tests/valgrind.supp tests/data/intake

# --- trust: only staff steer, only parties move their case
TESTS += tests/trust.sh
EXTRA_DIST += tests/trust.sh

# --- batched intake: one FETCH, one transaction, one MOVE (issue 10)
TESTS += tests/batch.sh
EXTRA_DIST += tests/batch.sh

# --- poison messages, fairness and outages (issue 8, items 3 and 7)
TESTS += tests/poison.sh tests/fairness.sh
EXTRA_DIST += tests/poison.sh tests/fairness.sh

# --- floods and loops; the database is what it claims
TESTS += tests/floods.sh tests/database.sh
EXTRA_DIST += tests/floods.sh tests/database.sh

# --- addresses: every valid address answered (issue 8, item 4)
TESTS += tests/addresses.sh
EXTRA_DIST += tests/addresses.sh

# --- the outbox cannot send twice or spin; sending never delays intake
TESTS += tests/outbox-kill.sh tests/outbox-relay.sh tests/outbox-stall.sh
EXTRA_DIST += tests/outbox-kill.sh tests/outbox-relay.sh tests/outbox-stall.sh

# --- the learned layer: redress train (owner: learn)
TESTS += tests/train.sh tests/triage.sh
EXTRA_DIST += tests/train.sh tests/triage.sh
