using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

// The login shell / ForceCommand of every simulated switch's sshd. It owns no device state:
// each device's state machine lives in the lab controller and is shared by all of its sessions,
// so this process only tells the controller who connected and then relays bytes both ways.
// sshd invokes it as `shell -c <command>`; arguments are deliberately ignored so that nothing a
// client sends can steer what runs here.
//
// System.Console is avoided on purpose: on a terminal .NET writes keypad-mode escapes and manages
// termios itself, which would leak bytes into the switch's output and undo the raw mode set below.

var stderr = new FileStream(new SafeFileHandle(2, ownsHandle: false), FileAccess.Write);
void Fail(string message) => stderr.Write(Encoding.UTF8.GetBytes(message));

var socketPath = Environment.GetEnvironmentVariable("NETOPSBOT_LAB_SOCKET");
if (string.IsNullOrEmpty(socketPath))
{
    Fail("netopsbot-lab-vty: NETOPSBOT_LAB_SOCKET is not set; this program is started by the lab's sshd.\n");
    return 2;
}

var interactive = Native.IsATty(0) == 1;
if (interactive)
{
    // The emulator echoes and edits lines itself, like a switch's VTY; a cooked PTY would echo twice,
    // rewrite line endings and turn Ctrl-C into a signal instead of the 0x03 byte VRP reacts to.
    var termios = new byte[256];
    if (Native.TcGetAttr(0, termios) == 0)
    {
        Native.CfMakeRaw(termios);
        _ = Native.TcSetAttr(0, 0, termios);
    }
}

using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
try
{
    socket.Connect(new UnixDomainSocketEndPoint(socketPath));
}
catch (SocketException)
{
    Fail("\r\nConnection closed: the device is not available.\r\n");
    return 1;
}

var hello = new Dictionary<string, string?>
{
    ["sshConnection"] = Environment.GetEnvironmentVariable("SSH_CONNECTION"),
    ["user"] = Environment.GetEnvironmentVariable("USER"),
    ["role"] = Environment.GetEnvironmentVariable("NETOPSBOT_LAB_ROLE"),
    ["interactive"] = interactive ? "1" : "0",
};
socket.Send(JsonSerializer.SerializeToUtf8Bytes(hello));
socket.Send("\n"u8);

using var stdin = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, 1, isAsync: false);
using var stdout = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1, isAsync: false);
using var network = new NetworkStream(socket, ownsSocket: false);

var toDevice = new Thread(() =>
{
    var buffer = new byte[4096];
    try
    {
        int read;
        while ((read = stdin.Read(buffer, 0, buffer.Length)) > 0)
        {
            network.Write(buffer, 0, read);
        }
    }
    catch (Exception ex) when (ex is IOException or ObjectDisposedException)
    {
        // Client went away, or the device ended the session and this process is exiting.
    }

    try
    {
        socket.Shutdown(SocketShutdown.Send);
    }
    catch (SocketException)
    {
    }
    catch (ObjectDisposedException)
    {
    }
})
{ IsBackground = true };
toDevice.Start();

var output = new byte[16384];
try
{
    int n;
    while ((n = network.Read(output, 0, output.Length)) > 0)
    {
        stdout.Write(output, 0, n);
        stdout.Flush();
    }
}
catch (IOException)
{
}

// The device ended the session (quit, reboot, refusal): leave without waiting for client input.
return 0;

internal static partial class Native
{
    [LibraryImport("libc", EntryPoint = "isatty")]
    internal static partial int IsATty(int fd);

    [LibraryImport("libc", EntryPoint = "tcgetattr")]
    internal static partial int TcGetAttr(int fd, [Out] byte[] termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr")]
    internal static partial int TcSetAttr(int fd, int optionalActions, byte[] termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    internal static partial void CfMakeRaw(byte[] termios);
}
