using System.Text;
using Build.Security;
using Build.Tailnet;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Build.Tests.Support;

/// <summary>
/// A test root key and signing key laid out as tailscale's distsign builder lays them out
/// (tailscale v1.94.2 clientupdate/distsign/distsign.go: GenerateRootKey, SignSigningKeys, SignPackageHash).
/// </summary>
public sealed class PackageSigner
{
    private readonly Ed25519PrivateKeyParameters _root = NewKey();
    private readonly Ed25519PrivateKeyParameters _signing = NewKey();

    /// <summary>The root public key as a PEM file for --tailscale-root-keys.</summary>
    public string RootPem => Pem(PackageSignature.RootKeyType, _root.GeneratePublicKey().GetEncoded());

    public byte[] Bundle => Encoding.ASCII.GetBytes(Pem(PackageSignature.SigningKeyType, _signing.GeneratePublicKey().GetEncoded()));

    public byte[] BundleSignature => Sign(_root, Bundle);

    public byte[] PackageSignatureOf(byte[] file) => Sign(_signing, PackageSignature.PackageMessage(file));

    /// <summary>The files a signed release adds to the site: distsign.pub, its signature and the tarball's .sig.</summary>
    public Dictionary<string, byte[]> SignedFiles(string tarballPath, byte[] tarball) => new()
    {
        ["/distsign.pub"] = Bundle,
        ["/distsign.pub.sig"] = BundleSignature,
        [tarballPath + ".sig"] = PackageSignatureOf(tarball),
    };

    public string WriteRootPem(string directory)
    {
        var path = Path.Combine(directory, "roots.pem");
        File.WriteAllText(path, RootPem);
        return path;
    }

    private static Ed25519PrivateKeyParameters NewKey()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        return (Ed25519PrivateKeyParameters)generator.GenerateKeyPair().Private;
    }

    private static byte[] Sign(Ed25519PrivateKeyParameters key, byte[] message)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, key);
        signer.BlockUpdate(message, 0, message.Length);
        return signer.GenerateSignature();
    }

    private static string Pem(string type, byte[] key) => $"-----BEGIN {type}-----\n{Convert.ToBase64String(key)}\n-----END {type}-----\n";
}
