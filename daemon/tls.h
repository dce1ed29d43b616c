/*
 * tls.h: TCP connections and verified TLS for libetpan streams.
 *
 * libetpan does not check certificates or host names by itself, so the
 * handshake is done here with GnuTLS (SNI, chain and host name through
 * gnutls_session_set_verify_cert(), against the system trust store or a
 * configured CA file) and the session is handed to libetpan as a
 * mailstream_low with our own driver. Any failure is an error: there is
 * no fall-back to plain text.
 *
 * Ownership: a mailstream returned here belongs to the caller, who hands
 * it to mailimap_connect()/mailsmtp_connect() (which then own it) or
 * closes it with mailstream_close(), which also ends the TLS session and
 * closes the socket.
 */
#ifndef REDRESS_TLS_H
#define REDRESS_TLS_H

#include <libetpan/libetpan.h>

/* Open a TCP connection to host:port (any address family), giving up after
 * timeout seconds. Returns the fd, or -1 with *cause set. */
int	net_connect(const char *host, int port, int timeout, char **cause);

/* A plain (unencrypted) stream over a connected fd. NULL on failure. */
mailstream *plain_stream_open(int fd, int timeout);

/*
 * Implicit TLS: handshake on a connected fd, verifying the certificate
 * chain and that it names host; ca_file "" means the system trust store.
 * On success sets *out and returns 0; on failure closes nothing, returns -1
 * and sets *cause to what failed and what to do (e.g. "certificate for
 * imap.example.org is not trusted (signer not found); set ca_file").
 */
int	tls_stream_open(int fd, const char *host, const char *ca_file,
	    int timeout, mailstream **out, char **cause);

/*
 * STARTTLS: once the protocol's STARTTLS command has succeeded on s,
 * handshake on the same fd and make s speak TLS from then on
 * (mailstream_set_low()). Same verification and errors as above.
 */
int	tls_stream_upgrade(mailstream *s, const char *host,
	    const char *ca_file, int timeout, char **cause);

#endif
