namespace NetOpsBot.Cards;

public sealed record ApprovalView(string User, DateTimeOffset At);
