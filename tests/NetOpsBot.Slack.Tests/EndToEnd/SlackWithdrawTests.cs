using System.Text.RegularExpressions;
using NetOpsBot.Slack.Tests.Fake;
using static NetOpsBot.Slack.Tests.EndToEnd.SlackHost;

namespace NetOpsBot.Slack.Tests.EndToEnd;

/// <summary>
/// Issue 17, per-person buttons on Slack (real host, lab, fake Slack): one card for the channel shows the request's
/// state and its buttons; a click the person may not make gets an ephemeral explanation and no thread line; the
/// requester withdraws her own request (a cancellation on the timeline), after which the fix is offered again.
/// </summary>
public sealed class SlackWithdrawTests
{
    private const string Reboot = "Save and reboot to flush the stuck listener";

    [Fact]
    public async Task RebootRequest_OthersCannotWithdraw_RequesterCannotApprove_RequesterWithdraws_OfferedAgain()
    {
        await using var slack = await SlackHost.StartAsync("Http");
        var fake = slack.Fake;
        Assert.Equal(200, (await FakeSlack.SendAsync(slack.Commands, fake.Slash(Alice, NetOps, "sw-access-12"))).Status);
        var card = await Eventually.GetAsync(() => fake.Messages(NetOps).LastOrDefault(m => m.AllText.Contains("sw-access-12", StringComparison.Ordinal)), "the incident card", context: () => slack.Host.Log);
        string Thread() => string.Join("\n", fake.Thread(NetOps, card.Ts).Select(m => m.Text));
        string Context() => $"card: {card.AllText}\nthread:\n{Thread()}\nephemerals: {string.Join(" | ", fake.Ephemerals().Select(e => e.User + ": " + e.Text))}\nhost:\n{slack.Host.Log}";
        Task Told(string user, string text) => Eventually.TrueAsync(() => fake.Ephemerals(user).Any(e => e.Text.Contains(text, StringComparison.Ordinal)), $"{user} alone is told '{text}'", context: Context);
        async Task ClickAsync(string user, string button, bool confirm = false)
        {
            await Eventually.TrueAsync(() => fake.AllButtons(NetOps).Contains(button), $"button '{button}'", context: Context);
            Assert.Equal(200, (await FakeSlack.SendAsync(slack.Interactivity, fake.Click(user, NetOps, button, confirmDialogAccepted: confirm))).Status);
        }

        await Eventually.TrueAsync(() => card.AllText.Contains("listener-stuck", StringComparison.Ordinal), "the verdict", context: Context);
        await ClickAsync(Alice, "Request reboot", confirm: true);
        await Eventually.TrueAsync(() => Thread().Contains("needs 2 different approvers", StringComparison.Ordinal), "the request in the thread", context: Context);

        // Bob is an approver, not the requester: Withdraw is not his, and only he hears so.
        await ClickAsync(Bob, "Withdraw: " + Reboot);
        await Told(Bob, "who requested the reboot of sw-access-12");
        await Told(Bob, "can withdraw it; an approver who does not want it rejects it instead");

        // Alice cannot approve her own request: told privately, as before.
        await ClickAsync(Alice, "Approve: " + Reboot);
        await Told(Alice, "cannot approve your own request");

        // Alice withdraws: a cancellation in the thread, the card says so and offers the reboot again.
        await ClickAsync(Alice, "Withdraw: " + Reboot);
        await Eventually.TrueAsync(() => Regex.IsMatch(Thread(), "withdrew the reboot of sw-access-12 \\(REQ-[0-9A-Z]+\\)"), "the withdrawal in the thread", context: Context);
        await Eventually.TrueAsync(() => card.AllText.Contains("withdrawn by", StringComparison.Ordinal) && fake.AllButtons(NetOps).Contains("Request reboot")
            && !fake.AllButtons(NetOps).Contains("Approve: " + Reboot), "the card offers the reboot again", context: Context);
        Assert.DoesNotContain("can withdraw it", Thread(), StringComparison.Ordinal);
        Assert.Empty(fake.Violations);
    }
}
