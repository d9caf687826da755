using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// Issue 13 item 4, live: the hardening step runs <c>display current-configuration</c> on a lab switch whose
/// configuration has <c>local-user netops password irreversible-cipher %^%#…%^%#</c> (every lab switch has
/// that user). Anyone who can see the card clicks "Full output"; no ciphertext may be stored, served or exported.
/// </summary>
public sealed class DeviceSecretTests
{
    private const string RedactedUserLine = "local-user netops password irreversible-cipher <redacted>";

    [Fact]
    public async Task FullOutputOfTheConfigurationStep_ShowsStoresAndExportsNoSecret()
    {
        await using var lab = await TestLab.StartAsync("healthy");
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database);
        using var http = host.Client();

        var reply = await http.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12", clientMessageId = Guid.NewGuid().ToString("N") });
        var id = (await reply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetString()!;
        var incident = await IncidentPolling.WaitAsync(http, id, e => e.GetProperty("state").GetString() == "Resolved", TimeSpan.FromSeconds(90));

        // "Full output" as the web chat serves it to whoever clicks (no approver role needed to look).
        var output = await http.GetStringAsync($"/api/incidents/{id}/steps/hardening/output");
        Assert.Contains("display current-configuration", output, StringComparison.Ordinal);
        Assert.Contains(RedactedUserLine, output, StringComparison.Ordinal);
        AssertNoSecret(output, "full output");

        AssertNoSecret(string.Join("\n", IncidentPolling.Thread(incident)), "thread");
        AssertNoSecret(incident.GetRawText(), "incident API");
        AssertNoSecret(await http.GetStringAsync($"/api/incidents/{id}/export"), "postmortem export");

        // What the store holds, row by row (the timeline keeps step output as JSON).
        await using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = lab.Database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await db.OpenAsync();
        var rows = 0;
        var sawUserLine = false;
        foreach (var table in await TablesAsync(db))
        {
            await using var cmd = db.CreateCommand();
            cmd.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows++;
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (reader.GetValue(i) is string text)
                    {
                        AssertNoSecret(text, $"{table}.{reader.GetName(i)}");
                        sawUserLine |= text.Contains("local-user netops password irreversible-cipher \\u003Credacted\\u003E", StringComparison.Ordinal)
                            || text.Contains(RedactedUserLine, StringComparison.Ordinal);
                    }
                }
            }
        }

        Assert.True(rows > 0);
        Assert.True(sawUserLine, "the stored hardening output should hold the (redacted) local-user line");
    }

    private static void AssertNoSecret(string text, string where)
    {
        foreach (var blob in new[] { "%^%#", "%$%$", "%@%@" })
        {
            Assert.False(text.Contains(blob, StringComparison.Ordinal), $"{where} holds VRP ciphertext ({blob}…)");
        }
    }

    private static async Task<List<string>> TablesAsync(SqliteConnection db)
    {
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        var names = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
