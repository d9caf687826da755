using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace NetOpsBot.Storage;

/// <summary>Stores an instant as UTC ticks; reads it back with offset zero.</summary>
internal sealed class DateTimeOffsetToUtcTicksConverter()
    : ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
