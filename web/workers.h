/* workers.h — a FastCGI server of several processes: the workers each
 * answer requests on the listening socket they share (each with its own
 * searcher), and this process watches over them.
 *
 * For a process of one thread, before it opens anything but the socket:
 * it forks.  Workers end when this process does (PR_SET_PDEATHSIG).
 */
#ifndef TT_WEB_WORKERS_H
#define TT_WEB_WORKERS_H

#define WORKERS_MAX 256

/* Run serve(arg) in n worker processes and wait: SIGTERM, SIGINT or
 * SIGUSR1 here is passed on to the workers (serve stops on SIGTERM), and
 * workers_run returns 0 once they have all ended.  A worker killed by a
 * signal (a crash, the kernel out of memory) or ended by its crash guard
 * (exit status TT_EXIT_CRASH) is logged and started again, a crash with
 * the advice for a damaged index; one that returns (a fault of the
 * socket) stops them all, and its status is returned.  n 1 runs serve
 * here, without forking (nobody starts it again). */
int workers_run(unsigned n, int (*serve)(void *arg), void *arg);

#endif
