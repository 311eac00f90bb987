namespace AwgProxy.Quic.Tests.Crypto;

/// <summary>Builds unprotected test packets laid out as <see cref="AwgProxy.Quic.Crypto.PacketProtection"/> expects.</summary>
internal static class PacketBuilder
{
    /// <summary>Offset of the packet number in <see cref="LongHeader"/>: form/type, version, DCID, SCID (empty), token length, 2-byte Length.</summary>
    public static int LongHeaderPnOffset(int dcidLength) => 1 + 4 + 1 + dcidLength + 1 + 1 + 2;

    /// <summary>
    /// An Initial packet with DCID bytes 0xd0.., empty SCID and token, the packet number on <paramref name="pnLength"/>
    /// bytes, a payload of bytes 1, 2, 3..., and 16 spare bytes for the tag.
    /// </summary>
    public static byte[] LongHeader(int pnLength, ulong packetNumber, int payloadLength, int dcidLength)
    {
        int pnOffset = LongHeaderPnOffset(dcidLength);
        byte[] packet = new byte[pnOffset + pnLength + payloadLength + 16];
        int n = 0;
        packet[n++] = (byte)(0xc0 | (pnLength - 1));
        packet[n++] = 0; packet[n++] = 0; packet[n++] = 0; packet[n++] = 1;
        packet[n++] = (byte)dcidLength;
        for (int i = 0; i < dcidLength; i++) packet[n++] = (byte)(0xd0 + i);
        packet[n++] = 0; // SCID Len
        packet[n++] = 0; // Token Length
        int length = pnLength + payloadLength + 16;
        packet[n++] = (byte)(0x40 | (length >> 8));
        packet[n++] = (byte)length;
        WritePayload(packet, n, pnLength, packetNumber, payloadLength);
        return packet;
    }

    /// <summary>A 1-RTT packet with a DCID of <paramref name="dcidLength"/> bytes; <paramref name="keyPhase"/> sets bit 0x04.</summary>
    public static byte[] ShortHeader(int pnLength, ulong packetNumber, int payloadLength, int dcidLength, bool keyPhase = false)
    {
        byte[] packet = new byte[1 + dcidLength + pnLength + payloadLength + 16];
        packet[0] = (byte)(0x40 | (keyPhase ? 0x04 : 0) | (pnLength - 1));
        for (int i = 0; i < dcidLength; i++) packet[1 + i] = (byte)(0xd0 + i);
        WritePayload(packet, 1 + dcidLength, pnLength, packetNumber, payloadLength);
        return packet;
    }

    private static void WritePayload(byte[] packet, int pnOffset, int pnLength, ulong packetNumber, int payloadLength)
    {
        for (int i = 0; i < pnLength; i++)
            packet[pnOffset + i] = (byte)(packetNumber >> (8 * (pnLength - 1 - i)));
        for (int i = 0; i < payloadLength; i++)
            packet[pnOffset + pnLength + i] = (byte)(i + 1);
    }
}
