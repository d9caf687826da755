using System.Text;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.IosXe;
using NetOpsBot.Lab.Emulator.IosXe;

namespace NetOpsBot.Vrp.Tests.Runbook;

/// <summary>
/// One emulated IOS-XE switch behind the runbook (its commands answered by the lab's emulator, cleaned by the
/// IOS-XE output cleaner as the SSH access does), every other device from <paramref name="others"/> (the VRP gateway).
/// Probes and logins follow the switch's own state: listening ports, its route back to the jump host, its VTY rules.
/// </summary>
internal sealed class EmulatedIosXeAccess(IosXeSwitch sw, DeviceName name, string jumpHost, FakeDeviceAccess others) : IDeviceAccess
{
    public Task<TcpProbeResult> ProbeAsync(DeviceRef device, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (device.Name != name)
        {
            return others.ProbeAsync(device, port, timeout, cancellationToken);
        }

        var outcome = !sw.HasRouteTo(jumpHost) ? ProbeOutcome.Timeout : sw.ListeningTcpPorts.Contains(port) ? ProbeOutcome.Open : ProbeOutcome.Refused;
        return Task.FromResult(new TcpProbeResult(port, outcome, "emulated", TimeSpan.FromMilliseconds(1)));
    }

    public Task<IDeviceCliSession> OpenCliAsync(DeviceRef device, AccessPath path, CancellationToken cancellationToken)
    {
        if (device.Name != name)
        {
            return others.OpenCliAsync(device, path, cancellationToken);
        }

        var viaSsh = path.Kind == AccessPathKind.Ssh;
        if (viaSsh && !(sw.HasRouteTo(jumpHost) && sw.ListeningTcpPorts.Contains(path.Port!.Value) && sw.AdmitsVty(jumpHost, "ssh")))
        {
            throw new DeviceAccessException(DeviceAccessFailure.SessionRefused, $"emulated: no SSH login on {path}");
        }

        return Task.FromResult<IDeviceCliSession>(new Session(sw, viaSsh ? jumpHost : "console"));
    }

    private sealed class Session : IDeviceCliSession
    {
        private readonly IosXeCliSession session;
        private readonly StringBuilder all = new();

        public Session(IosXeSwitch sw, string client)
        {
            Hostname = sw.Name;
            session = sw.OpenSession(client, 51514);
            session.Output += s =>
            {
                lock (all)
                {
                    all.Append(s);
                }
            };
            session.Start();
            Send("terminal length 0");
        }

        public string Hostname { get; }

        public Task<CliResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var raw = Send(command);
            return Task.FromResult(new CliResult(command, IosXeOutputCleaner.Clean(raw, command, Hostname).Text, raw, TimeSpan.FromMilliseconds(1), null));
        }

        public Task<string> CollectAsyncLinesAsync(TimeSpan window, CancellationToken cancellationToken) => Task.FromResult(string.Empty);

        public ValueTask DisposeAsync()
        {
            session.Close();
            return ValueTask.CompletedTask;
        }

        private string Send(string line)
        {
            int mark;
            lock (all)
            {
                mark = all.Length;
            }

            session.Receive(line + "\r");
            lock (all)
            {
                return all.ToString()[mark..];
            }
        }
    }
}
