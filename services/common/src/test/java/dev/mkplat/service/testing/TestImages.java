package dev.mkplat.service.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Real images made in the tests, one per format the images service accepts, written by the JDK's
 * ImageIO (WebP by libwebp): what every test that uploads an image sends.
 */
public final class TestImages {
    // A 3x2 lossless WebP written by libwebp (the JDK has no WebP writer).
    private static final byte[] WEBP =
            HexFormat.of().parseHex("524946461e000000574542505650384c110000002f0240000007508f2297a7ff8188e87f0000");

    private TestImages() {}

    public static byte[] png(int width, int height, long seed) {
        return write("png", noise(width, height, seed, BufferedImage.TYPE_INT_ARGB));
    }

    public static byte[] png() {
        return png(4, 3, 1);
    }

    public static byte[] jpeg() {
        return write("jpeg", noise(8, 8, 2, BufferedImage.TYPE_INT_RGB));
    }

    public static byte[] gif() {
        return write("gif", noise(5, 5, 3, BufferedImage.TYPE_INT_RGB));
    }

    public static byte[] webp() {
        return WEBP.clone();
    }

    private static BufferedImage noise(int width, int height, long seed, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt() | 0xFF000000);
            }
        }
        return image;
    }

    private static byte[] write(String format, BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
