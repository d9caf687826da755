using System.Text.Json;

namespace NetOpsBot.Host.Tests;

/// <summary>Issue 16: the web chat's composer hint names the registry's default runbook command, not a literal in the page.</summary>
public sealed class WebChatComposerTests
{
    [Fact]
    public Task TheUsersAnswer_CarriesTheDefaultRunbooksCommand() => WebChatSecurityTests.WithWorkAsync(async work =>
    {
        await using var host = await WebChatSecurityTests.StartAsync(work, WebChatSecurityTests.NoLab(work));
        using var http = host.Client();

        using var users = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/chat/users", UriKind.Relative)));

        // The product registers one runbook, ssh-unreachable, started by /sshdiag.
        Assert.Equal("/sshdiag", users.RootElement.GetProperty("command").GetString());
    });
}
