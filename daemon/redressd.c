/*
 * redressd.c: the daemon. Watches every Area mailbox, records and answers.
 *
 *   redressd -c FILE [-f] [-d] [--once]
 *
 * One process for intake: every Area's connection is served in turn, a
 * bounded batch at a time (limits.intake_batch), and between rounds the
 * daemon waits in IDLE on every connection that offers it (poll() over
 * their sockets), else sleeps for poll_interval.
 *
 * Sending is a child process, started when something is due and no sender
 * is running: a relay that stalls costs only that child its timeout, and
 * intake goes on. Its end wakes the poll (a pipe written by the SIGCHLD
 * handler). The child works with the daemon's configuration and resources
 * as loaded, and opens its own database connection.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "intake.h"
#include "log.h"
#include "outbox.h"
#include "resources.h"
#include "scheduler.h"
#include "store.h"
#include "workflow.h"

static volatile sig_atomic_t got_term, got_hup;
static int	child_pipe[2] = { -1, -1 };

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
}

static void
on_child(int sig)
{
	int	saved = errno;
	ssize_t	n = 0;

	(void)sig;
	/* When the pipe is full, a wake-up is pending anyway. */
	if (child_pipe[1] != -1)
		n = write(child_pipe[1], "", 1);
	(void)n;
	errno = saved;
}

/* A failed sender (the database) is not started again before this long,
 * so that a disk that is full is not a warning every round. */
#define SENDER_BACKOFF	60
#define SENDER_BUSY_WAIT 10

/* Everything a configuration brings with it. */
struct daemon {
	struct config		*config;
	struct store		*store;
	struct resources	*res;		/* the workflow borrows it */
	struct workflow		*workflow;
	GPtrArray		*areas;		/* of struct area_intake */
	pid_t			 sender;	/* the sender process, or -1 */
	gint64			 sender_not_before;
};

/*
 * Collect the sender when it has ended (wait: until it has). Returns 1
 * when it ended in failure (the relay unusable or the database), else 0.
 */
static int
sender_reap(struct daemon *d, gboolean wait)
{
	int	status;
	pid_t	r;

	if (d->sender == -1)
		return (0);
	while ((r = waitpid(d->sender, &status, wait ? 0 : WNOHANG)) == -1 &&
	    errno == EINTR)
		continue;
	if (r == 0)
		return (0);
	d->sender = -1;
	if (r == -1) {
		log_warnx("outbox: cannot wait for the sender: %s",
		    g_strerror(errno));
		return (1);
	}
	if (WIFSIGNALED(status)) {
		log_warnx("outbox: the sender was killed by signal %d; the "
		    "next one resumes what it was doing", WTERMSIG(status));
		return (1);
	}
	switch (WEXITSTATUS(status)) {
	case OUTBOX_SENDER_OK:
		return (0);
	case OUTBOX_SENDER_BUSY:
		/* An earlier daemon's sender is finishing: ask again soon,
		 * not every round. */
		d->sender_not_before = clock_now() + SENDER_BUSY_WAIT;
		return (0);
	case OUTBOX_SENDER_ERROR:
		d->sender_not_before = clock_now() + SENDER_BACKOFF;
		return (1);
	default:
		return (1);
	}
}

/* The database again after a fork; 0, or -1 (logged) to try next round. */
static int
daemon_reopen(struct daemon *d)
{
	char	*cause = NULL;

	if (d->store != NULL)
		return (0);
	if (store_open(d->config->database, &d->store, &cause) != 0) {
		log_warnx("%s; trying again next round", cause);
		g_free(cause);
		d->store = NULL;
		return (-1);
	}
	d->workflow->store = d->store;
	return (0);
}

/* Fork a sender when something is due and none is running. */
static void
sender_start(struct daemon *d)
{
	gint64	 next;
	char	*cause = NULL;
	pid_t	 pid;

	if (d->sender != -1 || d->store == NULL ||
	    clock_now() < d->sender_not_before)
		return;
	switch (outbox_next_due(d->workflow, &next, &cause)) {
	case -1:
		log_warnx("outbox: %s", cause);
		g_free(cause);
		return;
	case 0:
		return;
	}
	if (next > 0)
		return;
	/*
	 * Fork without a database connection: SQLite keeps the POSIX locks
	 * of a process in memory the child would inherit, believing it held
	 * them, so that its own connection could lose commits once this one
	 * closed. So this one closes, and opens again after the fork.
	 */
	store_close(d->store);
	d->store = d->workflow->store = NULL;
	fflush(stderr);
	pid = fork();
	if (pid == -1)
		log_warnx("outbox: cannot start the sender: %s; trying again "
		    "next round", g_strerror(errno));
	if (pid == 0) {
		close(child_pipe[0]);
		close(child_pipe[1]);
		child_pipe[0] = child_pipe[1] = -1;
		/* _exit: the parent's IMAP sessions and buffers are not the
		 * child's to close or flush. */
		_exit(outbox_sender_main(d->config, d->res));
	}
	if (pid > 0)
		d->sender = pid;
	daemon_reopen(d);
}

static void
print_errors(const char *what, GPtrArray *errors)
{
	guint	i;

	log_warnx("%s:", what);
	for (i = 0; i < errors->len; i++)
		log_warnx("  %s", (char *)g_ptr_array_index(errors, i));
}

/* Load the configuration and its resources. Nothing is replaced unless
 * all of them load. */
static int
daemon_load(struct daemon *d, const char *path)
{
	struct config		*config;
	struct resources	*res = NULL;
	GPtrArray		*errors = NULL;
	char			*cause = NULL;
	guint			 i;

	if ((config = config_load(path, &errors)) == NULL) {
		print_errors("configuration not loaded", errors);
		g_ptr_array_unref(errors);
		return (-1);
	}
	errors = g_ptr_array_new_with_free_func(g_free);
	if (resources_load(config, &res, errors) != 0) {
		print_errors("rules, templates, calendar or jargon list not "
		    "usable", errors);
		g_ptr_array_unref(errors);
		config_free(config);
		return (-1);
	}
	g_ptr_array_unref(errors);
	if (d->store == NULL || (d->config != NULL &&
	    strcmp(d->config->database, config->database) != 0)) {
		struct store	*st;

		if (store_open(config->database, &st, &cause) != 0) {
			log_warnx("%s", cause);
			g_free(cause);
			resources_free(res);
			config_free(config);
			return (-1);
		}
		store_close(d->store);
		d->store = st;
	}

	if (d->areas != NULL)
		g_ptr_array_unref(d->areas);
	workflow_free(d->workflow);
	resources_free(d->res);
	config_free(d->config);
	d->config = config;
	d->res = res;
	d->workflow = workflow_new(config, d->store, res);
	d->areas = g_ptr_array_new_with_free_func((GDestroyNotify)intake_free);
	for (i = 0; i < config->areas->len; i++)
		g_ptr_array_add(d->areas,
		    intake_new(g_ptr_array_index(config->areas, i)));
	return (0);
}

static void
daemon_free(struct daemon *d)
{
	if (d->areas != NULL)
		g_ptr_array_unref(d->areas);
	workflow_free(d->workflow);
	resources_free(d->res);
	store_close(d->store);
	config_free(d->config);
}

/*
 * One round: every Area in turn, a batch (limits.intake_batch) each,
 * again and again until all are drained or failing, then the scheduler
 * and the sender. The sender is started between turns too, so that one
 * Area's backlog holds up neither the other Areas nor the answers.
 * Returns the number of Areas (and other parts) that could not be served.
 */
static int
daemon_round(struct daemon *d)
{
	guint		 i;
	int		 failed = 0, n;
	gboolean	 more;
	char		*cause = NULL;

	if (daemon_reopen(d) != 0)
		return (1);
	do {
		more = FALSE;
		for (i = 0; i < d->areas->len && !got_term; i++) {
			struct area_intake *ai = g_ptr_array_index(d->areas, i);

			n = intake_run(ai, d->workflow, &got_term, &cause);
			if (n < 0) {
				log_warnx("%s", cause);
				g_clear_pointer(&cause, g_free);
				failed++;
				continue;
			}
			if (n > 0)
				log_info("Area %s: %d new message(s) recorded",
				    ai->area->id, n);
			if (ai->more)
				more = TRUE;
		}
		if (more && !got_term) {
			failed += sender_reap(d, FALSE);
			sender_start(d);
			if (daemon_reopen(d) != 0)
				return (failed + 1);
		}
	} while (more && !got_term);
	n = scheduler_run(d->workflow, &cause);
	if (n < 0) {
		log_warnx("scheduler: %s", cause);
		g_clear_pointer(&cause, g_free);
		failed++;
	} else if (n > 0)
		log_info("scheduler: %d reminder(s) or closure(s) queued", n);
	failed += sender_reap(d, FALSE);
	if (!got_term)
		sender_start(d);
	return (failed);
}

/* Wait for new mail (IDLE), the next retry, or a signal. */
static void
daemon_wait(struct daemon *d)
{
	GArray		*fds = g_array_new(FALSE, FALSE, sizeof(struct pollfd));
	gint64		 timeout = d->config->poll_interval, next;
	gboolean	 all_idle = TRUE;
	guint		 i;
	int		 rc;
	char		*cause = NULL;

	for (i = 0; i < d->areas->len; i++) {
		struct area_intake *ai = g_ptr_array_index(d->areas, i);
		struct pollfd	 pfd = { -1, POLLIN, 0 };

		if (ai->conn == NULL) {
			all_idle = FALSE;
			next = ai->retry_at - clock_now();
			if (next < timeout)
				timeout = next < 1 ? 1 : next;
			continue;
		}
		if ((pfd.fd = intake_idle_start(ai)) == -1) {
			all_idle = FALSE;
			continue;
		}
		g_array_append_val(fds, pfd);
	}
	if (all_idle && fds->len > 0)
		timeout = d->config->idle_restart;
	if (child_pipe[0] != -1) {
		struct pollfd	 pfd = { child_pipe[0], POLLIN, 0 };

		g_array_append_val(fds, pfd);
	}
	/* While a sender runs, its end wakes us; the rows it holds are due. */
	rc = d->sender == -1 && d->store != NULL ?
	    outbox_next_due(d->workflow, &next, &cause) : 0;
	switch (rc) {
	case -1:
		/* Wake at the poll interval: the next flush says it again. */
		log_warnx("outbox: %s", cause);
		g_free(cause);
		break;
	case 1:
		if (next < d->sender_not_before - clock_now())
			next = d->sender_not_before - clock_now();
		if (next < timeout)
			timeout = next < 1 ? 1 : next;
		break;
	}
	if (!got_term && !got_hup &&
	    poll((struct pollfd *)(void *)fds->data, fds->len,
	    (int)(timeout * 1000)) == -1 && errno != EINTR)
		log_warnx("poll: %s", g_strerror(errno));
	if (child_pipe[0] != -1) {
		char	buf[64];

		while (read(child_pipe[0], buf, sizeof buf) > 0)
			continue;
	}
	g_array_unref(fds);
}

static void
usage(void)
{
	fprintf(stderr, "usage: redressd -c FILE [-f] [-d] [--once]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	struct daemon		 d;
	struct sigaction	 sa;
	const char		*path = REDRESS_SYSCONFDIR "/redress.conf";
	gboolean		 foreground = FALSE, once = FALSE;
	int			 ch, debug = 0, failed = 0;
	char			*cause = NULL;

	while ((ch = getopt_long(argc, argv, "c:fd", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'f':
			foreground = TRUE;
			break;
		case 'd':
			debug++;
			break;
		case 'o':
			once = TRUE;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	log_open("redressd", foreground || once, debug);
	if (clock_init(&cause) != 0)
		fatalx("%s", cause);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (pipe(child_pipe) == -1 ||
	    fcntl(child_pipe[0], F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(child_pipe[1], F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(child_pipe[0], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(child_pipe[1], F_SETFD, FD_CLOEXEC) == -1)
		fatalx("pipe: %s", g_strerror(errno));
	sa.sa_handler = on_child;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);

	memset(&d, 0, sizeof d);
	d.sender = -1;
	if (daemon_load(&d, path) != 0)
		fatalx("%s: not started; fix the errors above and start "
		    "again (redress check-config -c %s)", path, path);
	log_info("started with %u Area(s)%s", d.areas->len,
	    once ? ", processing what is pending once" : "");

	for (;;) {
		failed = daemon_round(&d);
		if (once) {
			/* What is due now goes before the run ends. */
			failed += sender_reap(&d, TRUE);
			break;
		}
		if (got_term)
			break;
		daemon_wait(&d);
		if (got_term)
			break;
		if (got_hup) {
			got_hup = 0;
			log_info("SIGHUP: reading %s again", path);
			if (daemon_load(&d, path) != 0)
				log_warnx("%s: kept the configuration, rules, "
				    "templates, calendar and jargon list "
				    "already loaded", path);
		}
	}
	if (d.sender != -1) {
		/* It finishes the message at hand and exits by itself; the
		 * lock keeps the next daemon's sender waiting until then. */
		kill(d.sender, SIGTERM);
		log_info("stopping; the sender finishes the message at hand");
	} else
		log_info("stopping");
	daemon_free(&d);
	log_close();
	return (once && failed > 0 ? 1 : 0);
}
