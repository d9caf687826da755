using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab;

/// <summary>
/// Feeds each sshd's own connection log into its switch's emulator every 20 ms, so SSH debugging ("debug ssh server",
/// "debug ip ssh") shows only attempts that really reached the listener.
/// </summary>
public sealed partial class LabController
{
    private void PollAllSshdLogs()
    {
        PollSshdLogs();
        PollIosXeSshdLogs();
    }

    private void PollSshdLogs()
    {
        foreach (var runtime in _devices.Values)
        {
            foreach (var c in runtime.LogTail.ReadNewConnections(runtime.Sshd.LogPath))
            {
                var device = runtime.Device;
                var outcome = device.SshHostKeyPresent ? "connected" : "kex-failed";
                device.ReportSshConnectionAttempt(new SshConnectionAttempt(_topology.ToEmulatedAddress(c.Client), c.ClientPort, c.ServerPort, outcome));
            }
        }
    }

    private void PollIosXeSshdLogs()
    {
        foreach (var runtime in _iosXe.Values)
        {
            foreach (var c in runtime.LogTail.ReadNewConnections(runtime.Sshd.LogPath))
            {
                runtime.Switch.ReportSshConnectionAttempt(_topology.ToEmulatedAddress(c.Client), c.ClientPort, succeeded: true);
            }
        }
    }
}
