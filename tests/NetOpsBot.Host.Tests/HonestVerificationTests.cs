using System.Net.Http.Json;
using System.Text.Json;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// Issue 14, "verification that is not": in the reference case `ssh server port 22` is accepted by the switch but
/// the listener stays on 64443. The thread must say so ("Applied, not effective", the socket table as evidence, the
/// reboot as the next step), never "Done … applied and verified".
/// </summary>
public sealed class HonestVerificationTests
{
    private static async Task<JsonElement> Post(HttpClient http, string path, object body) =>
        await (await http.PostAsJsonAsync(path, body)).Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task PortReapplied_ListenerStillOn64443_ThreadSaysAppliedNotEffective_WithEvidenceAndNextStep()
    {
        await using var lab = await TestLab.StartAsync("seed-case");
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database);
        using var http = host.Client();
        var id = (await Post(http, "/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12", clientMessageId = "honest-1" })).GetProperty("incidentId").GetString()!;
        await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Diagnosed");

        Assert.True((await Post(http, "/api/chat/actions", await CardClicks.BodyAsync(http, id, "alice", "run", "listener-stuck.ssh-server-port"))).GetProperty("accepted").GetBoolean());
        await Post(http, "/api/chat/actions", await CardClicks.BodyAsync(http, id, "bob", "approve", "listener-stuck.ssh-server-port"));
        var done = await IncidentPolling.WaitAsync(http, id, i => IncidentPolling.Thread(i).Any(t => t.StartsWith("Applied, not effective", StringComparison.Ordinal)), TimeSpan.FromSeconds(90));

        var line = IncidentPolling.Thread(done).Single(t => t.StartsWith("Applied, not effective", StringComparison.Ordinal));
        Assert.Contains("SSH server port 22", line, StringComparison.Ordinal);
        Assert.Contains("NOT listening on 22", line, StringComparison.Ordinal);
        Assert.Contains("64443", line, StringComparison.Ordinal);
        Assert.Contains("next: the listener is stuck", line, StringComparison.Ordinal);
        Assert.Contains("a reboot re-binds it", line, StringComparison.Ordinal);
        Assert.DoesNotContain(IncidentPolling.Thread(done), t => t.Contains("applied and verified", StringComparison.Ordinal));
    }
}
