using AwgProxy.Quic.Crypto;

namespace AwgProxy.Quic.Tests.Crypto;

/// <summary>RFC 9001 section 6: key phases of one direction.</summary>
public class DirectionKeysTests
{
    private const CipherSuite Suite = CipherSuite.TLS_AES_128_GCM_SHA256;

    private static byte[] Secret()
    {
        byte[] secret = new byte[32];
        new Random(600).NextBytes(secret);
        return secret;
    }

    private static byte[] ProtectedPacket(DirectionKeys keys, ulong pn)
    {
        byte[] packet = PacketBuilder.ShortHeader(2, pn, payloadLength: 30, dcidLength: 4, keyPhase: keys.KeyPhase);
        PacketProtection.Protect(packet, 5, 2, pn, keys);
        return packet;
    }

    private static bool TryOpen(byte[] packet, DirectionKeys keys, Func<bool, PacketKey> selectKey, out bool keyPhaseBit)
    {
        keyPhaseBit = false;
        if (!PacketProtection.TryRemoveHeaderProtection(packet, 5, keys.HeaderProtection, out uint pn, out int pnLength))
            return false;
        keyPhaseBit = (packet[0] & 0x04) != 0;
        return PacketProtection.TryDecryptPayload(packet, 5, pnLength, pn, selectKey(keyPhaseBit), out _);
    }

    [Fact]
    public void UpdateKeys_BothSides_StayInStepAndFlipKeyPhase()
    {
        using var sender = new DirectionKeys(Suite, Secret());
        using var receiver = new DirectionKeys(Suite, Secret());
        PacketKey receiverNext = receiver.Next;
        Func<bool, PacketKey> select = bit => bit == receiver.KeyPhase ? receiver.Current : receiver.Next;

        Assert.True(TryOpen(ProtectedPacket(sender, 1), receiver, select, out bool phase0));
        Assert.False(phase0);

        HeaderProtectionKey hp = sender.HeaderProtection;
        sender.UpdateKeys();
        sender.DiscardPrevious();
        Assert.True(sender.KeyPhase);
        Assert.Same(hp, sender.HeaderProtection);

        byte[] updated = ProtectedPacket(sender, 2);
        Assert.True(TryOpen(updated, receiver, select, out bool phase1));
        Assert.True(phase1);

        receiver.UpdateKeys();
        Assert.Same(receiverNext, receiver.Current);
        Assert.NotNull(receiver.Previous);
        Assert.True(receiver.KeyPhase);
        Assert.True(TryOpen(ProtectedPacket(sender, 3), receiver, select, out _));
    }

    [Fact]
    public void Previous_StillOpensDelayedPacketsUntilDiscarded()
    {
        using var sender = new DirectionKeys(Suite, Secret());
        using var receiver = new DirectionKeys(Suite, Secret());
        byte[] delayed = ProtectedPacket(sender, 1);
        sender.UpdateKeys();
        receiver.UpdateKeys();

        Assert.True(TryOpen(delayed.ToArray(), receiver, _ => receiver.Previous!, out bool bit));
        Assert.False(bit);
        Assert.False(TryOpen(delayed.ToArray(), receiver, _ => receiver.Current, out _));

        receiver.DiscardPrevious();
        Assert.Null(receiver.Previous);
    }

    [Fact]
    public void FailedDecryptions_AccumulateAcrossKeyPhases()
    {
        using var keys = new DirectionKeys(Suite, Secret());
        byte[] tag = new byte[16];

        Assert.False(keys.Current.TryDecrypt(0, default, new byte[4], tag));
        keys.UpdateKeys();
        Assert.False(keys.Current.TryDecrypt(0, default, new byte[4], tag));
        Assert.False(keys.Next.TryDecrypt(0, default, new byte[4], tag));
        Assert.Equal(3, keys.FailedDecryptions);
        keys.DiscardPrevious();
        keys.UpdateKeys();
        keys.DiscardPrevious();

        Assert.Equal(3, keys.FailedDecryptions);
    }

    [Fact]
    public void Next_IsDerivedOnceAndKept()
    {
        using var keys = new DirectionKeys(Suite, Secret());

        Assert.Same(keys.Next, keys.Next);
        Assert.Null(keys.Previous);
        Assert.False(keys.KeyPhase);
    }

    [Fact]
    public void Dispose_ThenUpdate_Throws()
    {
        var keys = new DirectionKeys(Suite, Secret());
        keys.Dispose();

        Assert.Throws<ObjectDisposedException>(keys.UpdateKeys);
        Assert.Throws<ObjectDisposedException>(() => keys.Current.Encrypt(0, default, new byte[1], new byte[16]));
    }
}
