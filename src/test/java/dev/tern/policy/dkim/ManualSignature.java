package dev.tern.policy.dkim;

import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;

/**
 * Signs with any tag list, including ones Tern's signer never writes ({@code l=}, {@code i=} subdomains, odd
 * tags), so the verifier's rules can be tested on signatures that are otherwise correct.
 */
final class ManualSignature {

    private ManualSignature() {
    }

    /**
     * The message with a DKIM-Signature on top. {@code tags} is the field's value up to and without {@code bh=};
     * the body hash honours {@code l=} and {@code c=} found in it; {@code h=} must be given in it too.
     */
    static byte[] sign(byte[] message, String tags, DkimAlgorithm algorithm, KeyPair keys) throws Exception {
        java.util.Map<String, String> tags0 = TagList.parse(tags);
        String[] c = tags0.getOrDefault("c", "simple/simple").split("/");
        Canonicalization headerCanon = Canonicalization.fromTag(c[0]).orElse(Canonicalization.SIMPLE);
        Canonicalization bodyCanon = c.length > 1 ? Canonicalization.fromTag(c[1]).orElse(Canonicalization.SIMPLE)
                : Canonicalization.SIMPLE;
        long length = tags0.containsKey("l") ? Long.parseLong(tags0.get("l")) : -1;
        List<String> signedNames = List.of(tags0.get("h").split(":"));
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(message);
        List<HeaderField> fields = HeaderBlock.read(in).fields();
        BodyHasher body = new BodyHasher(bodyCanon, length);
        byte[] rest = in.readAllBytes();
        body.update(rest, 0, rest.length);
        String unsigned = "DKIM-Signature: " + tags + " bh=" + Base64.getEncoder().encodeToString(body.hash()) + "; b=";
        byte[] data = HeaderHash.data(fields, signedNames, headerCanon, HeaderField.of(unsigned));
        String b = Base64.getEncoder().encodeToString(algorithm.sign(keys.getPrivate(), data));
        return DkimTestData.concat(unsigned + b + "\r\n", message);
    }

    static byte[] message(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
