/* workers.c — see workers.h.
 *
 * The watching process blocks the signals it waits for and takes them
 * with sigwaitinfo: no handler, no race between a check and a wait.
 */
#include "workers.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

typedef struct worker {
    pid_t pid;       /* 0: not running */
    double started;  /* tt_now() */
} worker;

typedef struct pool {
    worker ws[WORKERS_MAX];
    unsigned n, live;
    int status;      /* what workers_run returns */
    int stopping;
    sigset_t mask;   /* the workers' signal mask */
    int (*serve)(void *);
    void *arg;
} pool;

/* Stop every worker (once); a status other than 0 is returned. */
static void stop(pool *p, int status)
{
    if (status && !p->status)
        p->status = status;
    if (p->stopping)
        return;
    p->stopping = 1;
    for (unsigned i = 0; i < p->n; i++)
        if (p->ws[i].pid > 0)
            kill(p->ws[i].pid, SIGTERM);
}

/* Fork worker i; 0, or -1 after logging why and stopping the others. */
static int start(pool *p, unsigned i)
{
    pid_t parent = getpid(), pid;
    fflush(NULL); /* nothing buffered twice */
    pid = fork();
    if (pid == 0) {
        int st;
        /* a worker ends with the process that watches it */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(0);
        /* a stop that came before serve's handlers: stop now */
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGUSR1, SIG_DFL);
        sigprocmask(SIG_SETMASK, &p->mask, NULL);
        st = p->serve(p->arg);
        fflush(NULL);
        _exit(st);
    }
    if (pid < 0) {
        tt_warn("cannot start a worker: %s", strerror(errno));
        stop(p, 3);
        return -1;
    }
    p->ws[i].pid = pid;
    p->ws[i].started = tt_now();
    p->live++;
    return 0;
}

/* A worker ended with wait status wst: started again, unless all stop. */
static void ended(pool *p, pid_t pid, int wst)
{
    unsigned i = 0;
    while (i < p->n && p->ws[i].pid != pid)
        i++;
    if (i == p->n)
        return;
    p->ws[i].pid = 0;
    p->live--;
    if (p->stopping)
        return;
    if (WIFEXITED(wst) && WEXITSTATUS(wst) == TT_EXIT_CRASH)
        /* its crash guard logged the line before this one */
        tt_warn("worker %ld crashed (SIGSEGV or SIGBUS), its request "
                "answered with the 500 page: " TT_DAMAGE_ADVICE "; started "
                "again", (long)pid, "DB");
    else if (WIFEXITED(wst) && WEXITSTATUS(wst)) { /* its socket failed */
        stop(p, WEXITSTATUS(wst));
        return;
    }
    if (WIFSIGNALED(wst) &&
        (WTERMSIG(wst) == SIGSEGV || WTERMSIG(wst) == SIGBUS))
        tt_warn("worker %ld ended by signal %d (%s), its request not "
                "answered (the web server says 502 or 500): "
                TT_DAMAGE_ADVICE "; started again", (long)pid,
                WTERMSIG(wst), strsignal(WTERMSIG(wst)), "DB");
    else if (WIFSIGNALED(wst))
        tt_warn("worker %ld ended by signal %d (%s): started again",
                (long)pid, WTERMSIG(wst), strsignal(WTERMSIG(wst)));
    if (tt_now() - p->ws[i].started < 1)
        poll(NULL, 0, 1000); /* one that dies at once: not in a loop */
    start(p, i);
}

int workers_run(unsigned n, int (*serve)(void *arg), void *arg)
{
    pool p;
    sigset_t watch;

    if (n <= 1)
        return serve(arg);
    memset(&p, 0, sizeof p);
    p.n = n > WORKERS_MAX ? WORKERS_MAX : n;
    p.serve = serve;
    p.arg = arg;
    signal(SIGCHLD, SIG_DFL); /* not ignored: the workers are waited for */
    sigemptyset(&watch);
    sigaddset(&watch, SIGCHLD);
    sigaddset(&watch, SIGTERM);
    sigaddset(&watch, SIGINT);
    sigaddset(&watch, SIGUSR1);
    sigprocmask(SIG_BLOCK, &watch, &p.mask);
    for (unsigned i = 0; i < p.n && start(&p, i) == 0; i++)
        ;
    while (p.live) {
        siginfo_t si;
        int wst, sig = sigwaitinfo(&watch, &si);
        pid_t pid;
        if (sig == SIGCHLD)
            while ((pid = waitpid(-1, &wst, WNOHANG)) > 0)
                ended(&p, pid, wst);
        else if (sig > 0) /* the workers finish their request, and end */
            stop(&p, 0);
    }
    sigprocmask(SIG_SETMASK, &p.mask, NULL);
    return p.status;
}
