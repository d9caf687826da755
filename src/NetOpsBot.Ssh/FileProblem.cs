namespace NetOpsBot.Ssh;

/// <summary>
/// Why a file the connector needs could not be read, in words an engineer acts on: these sentences reach the
/// card, where an exception type name (DirectoryNotFoundException) tells nobody what to do.
/// </summary>
internal static class FileProblem
{
    public static string Describe(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException =>
            "the file does not exist. If it belongs to the lab, the lab is not running (start it with `netopsbot lab up --detach` or scripts/demo.sh); " +
            "otherwise point the inventory (NetOps:InventoryPath) at the right file",
        UnauthorizedAccessException => "permission denied: the bot's user cannot read it",
        _ => "it cannot be read",
    };
}
