/*
 * The status endpoint (status_path): per-worker counters from the
 * scoreboard, as JSON.
 */
#ifndef EIDER_STATUS_H
#define EIDER_STATUS_H

struct eider_exchange;

/* Answers ex with the status JSON, or 403 if its client is not in
 * status_allow. */
void eider_status_answer(struct eider_exchange *ex);

#endif
