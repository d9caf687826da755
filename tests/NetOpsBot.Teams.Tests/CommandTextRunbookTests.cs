using System.Text.Json;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Runbooks;
using NetOpsBot.Teams.Protocol;
using NetOpsBot.Teams.Tests.Infrastructure;

namespace NetOpsBot.Teams.Tests;

/// <summary>Issue 16, seam 1: the Teams spelling of a command is any registered runbook's word, not a literal.</summary>
public sealed class CommandTextRunbookTests
{
    [Theory]
    [InlineData("ifdiag sw-access-12", "/ifdiag sw-access-12")]
    [InlineData("help", "/ifdiag help")]
    [InlineData("sshdiag sw-access-12", "sshdiag sw-access-12")]
    public void TheTeamsSpellingOfARegisteredRunbooksWord_BecomesItsCommand(string text, string expected)
    {
        var registry = TestRunbooks.With(new RunbookDefinition("interface-down", "Interface diagnosis", "/ifdiag", "diagnoses why an interface is down", [TestRunbooks.NoFault], [new StepDescriptor("verdict", "Verdict")]));
        var activity = JsonSerializer.Deserialize<Activity>($$"""{"type":"message","text":{{JsonSerializer.Serialize(text)}}}""", Activity.Json)!;

        Assert.Equal(expected, CommandText.From(activity, registry));
    }

    [Fact]
    public void TheWelcome_TeachesTheRegisteredRunbooksWords()
    {
        var registry = TestRunbooks.With(new RunbookDefinition("interface-down", "Interface diagnosis", "/ifdiag", "diagnoses why an interface is down", [TestRunbooks.NoFault], [new StepDescriptor("verdict", "Verdict")]));

        var welcome = TeamsActivityHandler.Welcome(registry);

        Assert.Contains("`ifdiag DEVICE` diagnoses why an interface is down", welcome, StringComparison.Ordinal);
        Assert.Contains("`ifdiag history DEVICE`", welcome, StringComparison.Ordinal);
        Assert.DoesNotContain("sshdiag", welcome, StringComparison.Ordinal);
        Assert.Contains("`sshdiag DEVICE` diagnoses why SSH to a device fails", TeamsActivityHandler.Welcome(TestRunbooks.Registry), StringComparison.Ordinal);
    }
}
