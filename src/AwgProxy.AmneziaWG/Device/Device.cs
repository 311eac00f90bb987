// Port of the AmneziaWG part of device/device.go from amneziawg-go at
// e796d477d89e6851b2bb4871bf75f1e621f94ace: the junk, headers, paddings and ipackets fields of
// Device (here DeviceState), in upstream's order, with the defaults that NewDevice gives them (every integer 0,
// headers 1/2/3/4 = WireGuard's message types, no I-packets). Nothing else of Device is ported.
namespace AwgProxy.AmneziaWG.Device;

/// <summary>
/// The obfuscation state of one device (Go's Device, renamed because the namespace is already
/// called Device), as UAPI set operations change it.
/// </summary>
public sealed class DeviceState
{
    /// <summary>junk: Jmin, Jmax, Jc.</summary>
    public DeviceJunk Junk { get; } = new();

    /// <summary>headers: H1 (init), H3 (cookie), H2 (response), H4 (transport).</summary>
    public DeviceHeaders Headers { get; } = new();

    /// <summary>paddings: S1 (init), S2 (response), S3 (cookie), S4 (transport).</summary>
    public DevicePaddings Paddings { get; } = new();

    /// <summary>ipackets: I1..I5; null = not set (skipped).</summary>
    public IList<ObfChain?> IPackets { get; } = new ObfChain?[5];
}

/// <summary>The device's junk settings (Go int: 64-bit).</summary>
public sealed class DeviceJunk
{
    /// <summary>Jmin.</summary>
    public long Min { get; set; }

    /// <summary>Jmax.</summary>
    public long Max { get; set; }

    /// <summary>Jc.</summary>
    public long Count { get; set; }
}

/// <summary>The device's header ranges; NewDevice sets WireGuard's types 1, 2, 3, 4.</summary>
public sealed class DeviceHeaders
{
    /// <summary>MessageInitiationType.</summary>
    public const uint MessageInitiationType = 1;

    /// <summary>MessageResponseType.</summary>
    public const uint MessageResponseType = 2;

    /// <summary>MessageCookieReplyType.</summary>
    public const uint MessageCookieReplyType = 3;

    /// <summary>MessageTransportType.</summary>
    public const uint MessageTransportType = 4;

    /// <summary>H1.</summary>
    public MagicHeader Init { get; set; } = new(MessageInitiationType, MessageInitiationType);

    /// <summary>H3.</summary>
    public MagicHeader Cookie { get; set; } = new(MessageCookieReplyType, MessageCookieReplyType);

    /// <summary>H2.</summary>
    public MagicHeader Response { get; set; } = new(MessageResponseType, MessageResponseType);

    /// <summary>H4.</summary>
    public MagicHeader Transport { get; set; } = new(MessageTransportType, MessageTransportType);
}

/// <summary>The device's padding sizes (Go int: 64-bit).</summary>
public sealed class DevicePaddings
{
    /// <summary>S1.</summary>
    public long Init { get; set; }

    /// <summary>S2.</summary>
    public long Response { get; set; }

    /// <summary>S3.</summary>
    public long Cookie { get; set; }

    /// <summary>S4.</summary>
    public long Transport { get; set; }
}
