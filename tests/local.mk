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

# --- the learned layer: redress train (owner: learn)
TESTS += tests/train.sh tests/triage.sh
EXTRA_DIST += tests/train.sh tests/triage.sh
