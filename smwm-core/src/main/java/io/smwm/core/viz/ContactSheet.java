package io.smwm.core.viz;

import io.smwm.core.render.RgbImage;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A grid of frames for people to look at: one row per episode (or any sequence), frames scaled up with nearest
 * neighbour so pixels stay visible, a caption under each frame and a title per row.
 */
public final class ContactSheet {
    private final String title;
    private final int scale;
    private final List<String> rowTitles = new ArrayList<>();
    private final List<List<RgbImage>> rows = new ArrayList<>();
    private final List<List<String>> captions = new ArrayList<>();

    /**
     * @param title a line at the top of the sheet
     * @param scale integer upscaling of each frame (e.g. 2 turns 64x64 into 128x128)
     */
    public ContactSheet(String title, int scale) {
        if (scale < 1 || scale > 16) {
            throw new IllegalArgumentException("scale must be in [1, 16], got " + scale);
        }
        this.title = title;
        this.scale = scale;
    }

    /** Adds a row of frames with one caption per frame (captions may be shorter than frames). */
    public ContactSheet addRow(String rowTitle, List<RgbImage> frames, List<String> frameCaptions) {
        rowTitles.add(rowTitle);
        rows.add(List.copyOf(frames));
        captions.add(List.copyOf(frameCaptions));
        return this;
    }

    public BufferedImage render() {
        if (rows.isEmpty()) {
            throw new IllegalStateException("a contact sheet needs at least one row");
        }
        int cols = rows.stream().mapToInt(List::size).max().orElse(1);
        int fw = 0, fh = 0;
        for (List<RgbImage> r : rows) {
            for (RgbImage f : r) {
                fw = Math.max(fw, f.width() * scale);
                fh = Math.max(fh, f.height() * scale);
            }
        }
        int pad = 6, capH = 14, rowTitleH = 16, titleH = 22;
        int w = pad + cols * (fw + pad);
        int h = titleH + rows.size() * (rowTitleH + fh + capH + pad) + pad;
        BufferedImage out = new BufferedImage(Math.max(w, 320), h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(0xf4f4f4));
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, pad, 16);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int y = titleH;
        for (int r = 0; r < rows.size(); r++) {
            g.setColor(new Color(0x333333));
            g.drawString(rowTitles.get(r), pad, y + 12);
            y += rowTitleH;
            int x = pad;
            List<RgbImage> row = rows.get(r);
            for (int c = 0; c < row.size(); c++) {
                RgbImage f = row.get(c);
                BufferedImage src = f.toBufferedImage();
                g.drawImage(src, x, y, f.width() * scale, f.height() * scale, null);
                g.setColor(new Color(0x999999));
                g.drawRect(x - 1, y - 1, f.width() * scale + 1, f.height() * scale + 1);
                if (c < captions.get(r).size()) {
                    g.setColor(new Color(0x444444));
                    g.drawString(captions.get(r).get(c), x, y + fh + 11);
                }
                x += fw + pad;
            }
            y += fh + capH + pad;
        }
        g.dispose();
        return out;
    }

    /** Writes the sheet as PNG atomically (temporary sibling, then rename). */
    public void writePng(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            if (!ImageIO.write(render(), "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
