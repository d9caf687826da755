using System.Text;
using System.Text.Json;

namespace NetOpsBot.Alerts.Tests;

public sealed class PayloadTests
{
    // Shaped as Alertmanager 0.25's webhook sends it (notify/webhook: version 4).
    internal static string Notification(string status, string fingerprint, string instance, string alertname = "SSHDown", string url = "http://127.0.0.1:9090/graph?g0.expr=probe_success%3D%3D0", string module = "ssh_banner")
        => $$"""
        {"receiver":"netopsbot","status":"{{status}}","alerts":[{"status":"{{status}}","labels":{"alertname":"{{alertname}}","instance":"{{instance}}","job":"blackbox-ssh","module":"{{module}}"},
        "annotations":{"summary":"SSH down"},"startsAt":"2026-12-06T01:00:00Z","endsAt":"{{(status == "resolved" ? "2026-12-06T01:05:00Z" : "0001-01-01T00:00:00Z")}}","generatorURL":"{{url}}","fingerprint":"{{fingerprint}}"}],
        "groupLabels":{"alertname":"{{alertname}}"},"commonLabels":{"alertname":"{{alertname}}"},"commonAnnotations":{},"externalURL":"http://127.0.0.1:9093","version":"4","groupKey":"{}:{alertname=\"{{alertname}}\"}","truncatedAlerts":0}
        """;

    private static ReadOnlyMemory<byte> Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Alertmanager_v4_IsReadWithFingerprintLabelsAndLink()
    {
        var r = AlertmanagerPayload.Parse(Bytes(Notification("firing", "a1b2c3d4e5f60718", "127.0.200.12:22")), 100);
        Assert.True(r.Ok, r.Error);
        var a = Assert.Single(r.Alerts);
        Assert.Equal(("alertmanager", "a1b2c3d4e5f60718", AlertStatus.Firing, "SSHDown"), (a.Source, a.Identity, a.Status, a.Name));
        Assert.Equal("127.0.200.12:22", a.Labels["instance"]);
        Assert.StartsWith("http://127.0.0.1:9090/graph", a.GeneratorUrl, StringComparison.Ordinal);
        Assert.Null(a.EndsAt);

        var resolved = AlertmanagerPayload.Parse(Bytes(Notification("resolved", "a1b2c3d4e5f60718", "127.0.200.12:22")), 100);
        Assert.Equal(AlertStatus.Resolved, Assert.Single(resolved.Alerts).Status);
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 1, 5, 0, TimeSpan.Zero), resolved.Alerts[0].EndsAt);
    }

    [Theory]
    [InlineData("{\"version\":\"4\",\"alerts\":[", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{\"version\":\"3\",\"alerts\":[]}", "\"version\" must be \"4\"")]
    [InlineData("{\"version\":\"4\",\"alerts\":{}}", "\"alerts\" must be an array")]
    [InlineData("{\"version\":\"4\",\"alerts\":[{\"status\":\"weird\",\"labels\":{}}]}", "alerts[0].status")]
    public void Alertmanager_Malformed_AnswersWhatIsWrong(string body, string expected)
    {
        var r = AlertmanagerPayload.Parse(Bytes(body), 100);
        Assert.False(r.Ok);
        Assert.Contains(expected, r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Alertmanager_TooManyAlerts_RefusedAsAWholeWithTheLimit()
    {
        var alerts = string.Join(",", Enumerable.Range(0, 11).Select(i => $"{{\"status\":\"firing\",\"labels\":{{\"alertname\":\"SSHDown\",\"instance\":\"10.0.0.{i}:22\"}},\"fingerprint\":\"f{i}\"}}"));
        var r = AlertmanagerPayload.Parse(Bytes($"{{\"version\":\"4\",\"alerts\":[{alerts}]}}"), 10);
        Assert.False(r.Ok);
        Assert.Contains("11 alerts in one notification; at most 10", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Alertmanager_ScriptLink_IsDropped()
    {
        var r = AlertmanagerPayload.Parse(Bytes(Notification("firing", "ff", "x:22", url: "javascript:alert(1)")), 10);
        Assert.Null(Assert.Single(r.Alerts).GeneratorUrl);
    }

    [Fact]
    public void Zabbix_Preset_MapsEventIdValueAndHost()
    {
        var mapping = new GenericAlertMapping { Preset = "zabbix" };
        Assert.Empty(mapping.Validate("k"));
        var problem = mapping.Parse("zabbix", Bytes("""{"event_id":"4711","event_value":"1","event_name":"SSH service is down on sw-access-12","host_name":"sw-access-12","host_ip":"10.20.0.12","event_severity":"High"}"""), 10);
        var a = Assert.Single(problem.Alerts);
        Assert.Equal(("zabbix", "Zabbix", "4711", AlertStatus.Firing), (a.Source, a.SourceDisplayName, a.Identity, a.Status));
        Assert.Equal("sw-access-12", a.Labels["hostname"]);
        Assert.Equal("SSH service is down on sw-access-12", a.Name);

        var recovery = mapping.Parse("zabbix", Bytes("""{"event_id":"4711","event_value":"0","host_name":"sw-access-12"}"""), 10);
        Assert.Equal(AlertStatus.Resolved, Assert.Single(recovery.Alerts).Status);
    }

    [Fact]
    public void Generic_MissingIdentity_IsAnErrorNamingThePath()
    {
        var mapping = new GenericAlertMapping { IdentityPath = "event.id", AlertsPath = "items" };
        var r = mapping.Parse("nms", Bytes("""{"items":[{"event":{"id":"1"}},{"event":{}}]}"""), 10);
        Assert.False(r.Ok);
        Assert.Contains("alert 1: \"event.id\"", r.Error, StringComparison.Ordinal);
        Assert.NotEmpty(new GenericAlertMapping().Validate("NetOps:Alerts:Generic:nms"));
        Assert.True(JsonDocument.Parse("{}") is not null);
    }
}
