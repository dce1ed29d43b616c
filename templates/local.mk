# templates/: the Markdown templates of outgoing mail (owner: mail), English
# (en) and Welsh (cy), installed under $(pkgdatadir)/templates and shipped in
# the dist. Every file here must be listed: test-template checks it.
nobase_dist_pkgdata_DATA += \
	templates/cy/acknowledgement-representative.md \
	templates/cy/acknowledgement.md \
	templates/cy/authority-request.md \
	templates/cy/bounce-notice.md \
	templates/cy/delivery-failure-notice.md \
	templates/cy/enquiry-acknowledgement.md \
	templates/cy/excluded-appeal.md \
	templates/cy/excluded-defendant.md \
	templates/cy/feedback-acknowledgement.md \
	templates/cy/forward-enquiry.md \
	templates/cy/forward-vrr.md \
	templates/cy/message-added-notice.md \
	templates/cy/new-case-notice.md \
	templates/cy/quarantine-notice.md \
	templates/cy/redirect-other.md \
	templates/cy/redirect-police.md \
	templates/cy/vrr-reply.md \
	templates/en/acknowledgement-representative.md \
	templates/en/acknowledgement.md \
	templates/en/authority-request.md \
	templates/en/bounce-notice.md \
	templates/en/delivery-failure-notice.md \
	templates/en/enquiry-acknowledgement.md \
	templates/en/excluded-appeal.md \
	templates/en/excluded-defendant.md \
	templates/en/feedback-acknowledgement.md \
	templates/en/forward-enquiry.md \
	templates/en/forward-vrr.md \
	templates/en/message-added-notice.md \
	templates/en/new-case-notice.md \
	templates/en/quarantine-notice.md \
	templates/en/redirect-other.md \
	templates/en/redirect-police.md \
	templates/en/vrr-reply.md
