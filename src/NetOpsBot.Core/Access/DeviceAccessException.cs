namespace NetOpsBot.Core.Access;

/// <summary>
/// Raised by <see cref="IDeviceAccess.OpenCliAsync"/> (and by a session that drops) with a typed reason.
/// Connectors must put the real cause in <see cref="Reason"/>, not only in the message: SSH.NET, for
/// example, reports a refused jump channel as a missing identification string.
/// </summary>
public sealed class DeviceAccessException : Exception
{
    public DeviceAccessException()
        : this(DeviceAccessFailure.Other, "device access failed")
    {
    }

    public DeviceAccessException(string message)
        : this(DeviceAccessFailure.Other, message)
    {
    }

    public DeviceAccessException(string message, Exception innerException)
        : this(DeviceAccessFailure.Other, message, innerException)
    {
    }

    public DeviceAccessException(DeviceAccessFailure reason, string message, Exception? innerException = null)
        : base(message, innerException) => Reason = reason;

    public DeviceAccessFailure Reason { get; }
}
