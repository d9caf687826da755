/*
 * The login shell (ForceCommand) of every simulated switch's sshd: tells the lab controller who
 * connected, then relays bytes both ways. It owns no device state; each device's state machine lives
 * in the lab controller, shared by all of its sessions. Arguments are ignored so that nothing a client
 * sends can steer what runs here.
 *
 * C rather than .NET: sshd starts one per login, and a .NET process costs ~80 ms of CPU to start.
 * Under a burst of diagnoses those startups took a large share of the two cores the lab shares with
 * the bot it is there to test; real switches spend none of the bot's CPU on a login.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Appends "name":"value" with JSON escaping; value may be NULL (then null). */
static void json_field(char *out, size_t cap, const char *name, const char *value, int first)
{
    size_t len = strlen(out);
    len += (size_t)snprintf(out + len, cap - len, "%s\"%s\":", first ? "" : ",", name);
    if (value == NULL) {
        snprintf(out + len, cap - len, "null");
        return;
    }
    if (len + 1 < cap) out[len++] = '"';
    for (const unsigned char *c = (const unsigned char *)value; *c != '\0' && len + 8 < cap; c++) {
        if (*c == '"' || *c == '\\') {
            out[len++] = '\\';
            out[len++] = (char)*c;
        } else if (*c < 0x20) {
            len += (size_t)snprintf(out + len, cap - len, "\\u%04x", *c);
        } else {
            out[len++] = (char)*c;
        }
    }
    if (len + 1 < cap) out[len++] = '"';
    out[len] = '\0';
}

int main(void)
{
    const char *path = getenv("NETOPSBOT_LAB_SOCKET");
    if (path == NULL || path[0] == '\0') {
        const char *m = "netopsbot-lab-vty: NETOPSBOT_LAB_SOCKET is not set; this program is started by the lab's sshd.\n";
        write_all(2, m, strlen(m));
        return 2;
    }

    int interactive = isatty(0);
    if (interactive) {
        /* The emulator echoes and edits lines itself, like a switch's VTY; a cooked PTY would echo twice,
           rewrite line endings and turn Ctrl-C into a signal instead of the 0x03 byte VRP reacts to. */
        struct termios t;
        if (tcgetattr(0, &t) == 0) {
            cfmakeraw(&t);
            tcsetattr(0, TCSANOW, &t);
        }
    }

    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
    if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
        const char *m = "\r\nConnection closed: the device is not available.\r\n";
        write_all(2, m, strlen(m));
        return 1;
    }

    char hello[3072] = "{";
    json_field(hello, sizeof hello - 2, "sshConnection", getenv("SSH_CONNECTION"), 1);
    json_field(hello, sizeof hello - 2, "user", getenv("USER"), 0);
    json_field(hello, sizeof hello - 2, "role", getenv("NETOPSBOT_LAB_ROLE"), 0);
    json_field(hello, sizeof hello - 2, "interactive", interactive ? "1" : "0", 0);
    strcat(hello, "}\n");
    if (write_all(s, hello, strlen(hello)) < 0) return 1;

    char buf[16384];
    struct pollfd fds[2] = { { .fd = 0, .events = POLLIN }, { .fd = s, .events = POLLIN } };
    int stdin_open = 1;
    for (;;) {
        int n = poll(fds, 2, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            return 0;
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t r = read(s, buf, sizeof buf);
            if (r <= 0) {
                /* The device ended the session (quit, reboot, refusal): leave without waiting for client input. */
                return 0;
            }
            if (write_all(1, buf, (size_t)r) < 0) return 0;
        }
        if (stdin_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t r = read(0, buf, sizeof buf);
            if (r <= 0) {
                /* Client went away: tell the device, then keep relaying until it closes. */
                stdin_open = 0;
                fds[0].fd = -1;
                shutdown(s, SHUT_WR);
            } else if (write_all(s, buf, (size_t)r) < 0) {
                return 0;
            }
        }
    }
}
