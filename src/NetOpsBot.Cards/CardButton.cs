namespace NetOpsBot.Cards;

/// <summary>
/// One button. <see cref="ConfirmText"/> set means the platform must ask before sending the action
/// (a reboot request): Slack shows a confirm dialog, Adaptive Cards a show-card with the real button.
/// </summary>
public sealed record CardButton(string Title, CardAction Action, ButtonStyle Style = ButtonStyle.Default)
{
    public string? ConfirmText { get; init; }
}
