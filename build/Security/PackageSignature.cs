using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Build.Security;

/// <summary>
/// Tailscale's package signatures, as <c>tailscale update</c> checks them (tailscale v1.94.2
/// <c>clientupdate/distsign/distsign.go</c>): root keys compiled into the client sign the bundle of
/// signing keys (<c>distsign.pub</c>, signature <c>distsign.pub.sig</c>); a signing key signs
/// BLAKE2s-256(file) followed by the file's length as a little-endian uint64 (<c>FILE.sig</c>).
/// All keys are Ed25519.
/// </summary>
public static class PackageSignature
{
    public const string RootKeyType = "ROOT PUBLIC KEY";
    public const string SigningKeyType = "SIGNING PUBLIC KEY";
    public const int SignatureSize = 64;
    public const int SigningKeysSizeLimit = 1 << 20;

    /// <summary>
    /// The root public keys of tailscale v1.94.2: <c>clientupdate/distsign/roots/crawshaw-root.pem</c>
    /// and <c>distsign-prod-root-1-pub.pem</c> (public data; --tailscale-root-keys replaces them).
    /// </summary>
    public const string EmbeddedRoots = """
        -----BEGIN ROOT PUBLIC KEY-----
        Psrabv2YNiEDhPlnLVSMtB5EKACm7zxvKxfvYD4i7X8=
        -----END ROOT PUBLIC KEY-----
        -----BEGIN ROOT PUBLIC KEY-----
        ZjjKhUHBtLNRSO1dhOTjrXJGJ8lDe1594WM2XDuheVQ=
        -----END ROOT PUBLIC KEY-----
        """;

    /// <summary>The embedded roots, parsed once per process.</summary>
    public static IReadOnlyList<byte[]> EmbeddedRootKeys => Embedded.Value;

    private static readonly Lazy<IReadOnlyList<byte[]>> Embedded = new(() => ParseKeys(EmbeddedRoots, RootKeyType));

    /// <summary>PEM blocks of one type, each a 32-byte Ed25519 public key (distsign.go parsePublicKeyBundle).</summary>
    public static IReadOnlyList<byte[]> ParseKeys(string pem, string type)
    {
        var keys = new List<byte[]>();
        var rest = pem.AsSpan();
        while (!rest.IsWhiteSpace())
        {
            if (!PemEncoding.TryFind(rest, out var fields))
            {
                throw new FormatException("failed to decode PEM data");
            }

            if (!rest[..fields.Location.Start].IsWhiteSpace())
            {
                throw new FormatException("text outside the PEM blocks");
            }

            if (!rest[fields.Label].SequenceEqual(type))
            {
                throw new FormatException($"PEM type is \"{rest[fields.Label]}\", want \"{type}\"");
            }

            var key = Convert.FromBase64String(rest[fields.Base64Data].ToString());
            if (key.Length != Ed25519PublicKeyParameters.KeySize)
            {
                throw new FormatException("public key has incorrect length for an Ed25519 public key");
            }

            keys.Add(key);
            rest = rest[fields.Location.End..];
        }

        return keys.Count > 0 ? keys : throw new FormatException("no keys found in the bundle");
    }

    /// <summary>True when any of the keys verifies the signature over the message (distsign.go VerifyAny).</summary>
    public static bool VerifyAny(IEnumerable<byte[]> keys, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureSize)
        {
            return false;
        }

        foreach (var key in keys)
        {
            var verifier = new Ed25519Signer();
            verifier.Init(false, new Ed25519PublicKeyParameters(key));
            verifier.BlockUpdate(message);
            if (verifier.VerifySignature(signature.ToArray()))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What a package signature covers: BLAKE2s-256 of the file, then its length as little-endian uint64.</summary>
    public static byte[] PackageMessage(ReadOnlySpan<byte> file)
    {
        var digest = new Blake2sDigest(256);
        digest.BlockUpdate(file);
        var message = new byte[digest.GetDigestSize() + sizeof(ulong)];
        digest.DoFinal(message);
        BinaryPrimitives.WriteUInt64LittleEndian(message.AsSpan(digest.GetDigestSize()), (ulong)file.Length);
        return message;
    }

    /// <summary>The signing keys from distsign.pub, if its signature verifies with a root key; else null.</summary>
    public static IReadOnlyList<byte[]>? TrustedSigningKeys(IReadOnlyList<byte[]> roots, byte[] bundle, byte[] bundleSignature)
    {
        if (!VerifyAny(roots, bundle, bundleSignature))
        {
            return null;
        }

        return ParseKeys(Encoding.ASCII.GetString(bundle), SigningKeyType);
    }
}
