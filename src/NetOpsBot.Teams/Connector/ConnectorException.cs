using System.Net;

namespace NetOpsBot.Teams.Connector;

/// <summary>A connector call that failed after its retries. The message names the operation and status, never a token.</summary>
public sealed class ConnectorException : Exception
{
    public ConnectorException()
    {
    }

    public ConnectorException(string message)
        : base(message)
    {
    }

    public ConnectorException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ConnectorException(string operation, HttpStatusCode status, string detail)
        : base($"Bot Connector {operation} failed: {(int)status} {status}{(detail.Length > 0 ? ": " + detail : string.Empty)}")
    {
        Status = status;
    }

    public HttpStatusCode? Status { get; }
}
