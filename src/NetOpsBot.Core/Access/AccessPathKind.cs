namespace NetOpsBot.Core.Access;

public enum AccessPathKind
{
    Ssh,
    Console,
}
