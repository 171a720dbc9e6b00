package io.smwm.core.eval;

import io.smwm.core.render.RgbImage;
import java.util.List;

/** Frames of one episode kept for people to look at: executed frames (every model step) then the goal frame. */
public record Filmstrip(String method, int goalOffset, String pairId, boolean success, List<RgbImage> frames,
                        List<String> captions) {}
