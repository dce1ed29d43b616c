# certs.sh: throwaway certificates for the TLS tests (sourced; needs openssl).
#
#   make_test_certs DIR   writes, in DIR:
#     ca.crt                    a test CA (give it as ca_file)
#     server.crt server.key     signed by it, for localhost and 127.0.0.1
#     untrusted.crt untrusted.key
#                               self-signed, for localhost, 127.0.0.1 and
#                               127.0.0.2: valid names, unknown signer
# Keys are EC P-256 so that making them is quick. Returns non-zero, and
# says why on stderr, when openssl is missing or fails.

make_test_certs() {
	_dir=$1
	if ! command -v openssl >/dev/null 2>&1; then
		echo "make_test_certs: openssl not found: apt-get install openssl" >&2
		return 1
	fi
	(
		set -e
		cd "$_dir"
		_ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
		cat >ca.cnf <<-'EOF'
		[req]
		distinguished_name = dn
		prompt = no
		[dn]
		CN = redress test CA
		[ca]
		basicConstraints = critical, CA:TRUE
		keyUsage = critical, keyCertSign, cRLSign
		subjectKeyIdentifier = hash
		[server]
		basicConstraints = critical, CA:FALSE
		keyUsage = critical, digitalSignature, keyEncipherment
		extendedKeyUsage = serverAuth
		subjectAltName = DNS:localhost, IP:127.0.0.1
		[untrusted]
		basicConstraints = critical, CA:FALSE
		keyUsage = critical, digitalSignature, keyEncipherment
		extendedKeyUsage = serverAuth
		subjectAltName = DNS:localhost, IP:127.0.0.1, IP:127.0.0.2
		EOF
		# shellcheck disable=SC2086
		openssl req -x509 $_ec -keyout ca.key -out ca.crt -days 2 \
		    -config ca.cnf -extensions ca 2>/dev/null
		# shellcheck disable=SC2086
		openssl req -new $_ec -keyout server.key -out server.csr \
		    -subj /CN=localhost 2>/dev/null
		openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key \
		    -CAcreateserial -out server.crt -days 2 \
		    -extfile ca.cnf -extensions server 2>/dev/null
		# shellcheck disable=SC2086
		openssl req -x509 $_ec -keyout untrusted.key -out untrusted.crt \
		    -days 2 -subj /CN=localhost -config ca.cnf \
		    -extensions untrusted 2>/dev/null
		rm -f server.csr ca.srl
	) || {
		echo "make_test_certs: openssl failed to make the test certificates in $_dir" >&2
		return 1
	}
}
