package io.smwm.core.env.tworoom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.render.RgbImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TwoRoomTest {
    /** The disc must not overlap the wall: centre at least this far from x = 0.5 outside the door rows. */
    private static final double WALL_CLEARANCE = TwoRoom.WALL_HALF_THICKNESS + TwoRoom.AGENT_RADIUS;

    private static TwoRoom env() {
        return new TwoRoom(EnvConfig.defaults());
    }

    private static void assertLegal(float x, float y, String where) {
        assertTrue(x >= TwoRoom.AGENT_RADIUS && x <= 1 - TwoRoom.AGENT_RADIUS, "x out of arena " + x + " " + where);
        assertTrue(y >= TwoRoom.AGENT_RADIUS && y <= 1 - TwoRoom.AGENT_RADIUS, "y out of arena " + y + " " + where);
        boolean inDoorRows = y >= TwoRoom.DOOR_LOW + TwoRoom.AGENT_RADIUS && y <= TwoRoom.DOOR_HIGH - TwoRoom.AGENT_RADIUS;
        if (!inDoorRows) {
            assertTrue(Math.abs(x - TwoRoom.WALL_X) >= WALL_CLEARANCE - 1e-7,
                    "disc overlaps the wall at (" + x + ", " + y + ") " + where);
        }
    }

    @Test
    void randomAndAdversarialSteps_neverEnterTheWall_crossOnlyThroughTheDoor() {
        TwoRoom env = env();
        SplittableRandom r = new SplittableRandom(42);
        int crossings = 0;
        for (int ep = 0; ep < 200; ep++) {
            env.reset(ep);
            float[] s = env.state();
            assertLegal(s[0], s[1], "at reset " + ep);
            for (int t = 0; t < 200; t++) {
                float[] a = switch ((ep + t / 20) % 4) {
                    case 0 -> new float[] {(float) (2 * r.nextDouble() - 1), (float) (2 * r.nextDouble() - 1)};
                    // push towards the wall centre line with random y: grinds along the wall and the jambs
                    case 1 -> new float[] {s[0] < 0.5f ? 1f : -1f, (float) (2 * r.nextDouble() - 1)};
                    // extreme diagonals at the door corners
                    case 2 -> new float[] {r.nextBoolean() ? 1f : -1f, r.nextBoolean() ? 1f : -1f};
                    default -> new float[] {(float) (6 * r.nextDouble() - 3), (float) (6 * r.nextDouble() - 3)};
                };
                env.step(a);
                float[] n = env.state();
                assertLegal(n[0], n[1], "episode " + ep + " step " + t);
                if ((s[0] - 0.5f) * (n[0] - 0.5f) < 0) {
                    crossings++;
                    // a straight segment within one step: both ends must be in the door rows
                    assertTrue(s[1] >= TwoRoom.DOOR_Y0 && s[1] <= TwoRoom.DOOR_Y1
                            && n[1] >= TwoRoom.DOOR_Y0 && n[1] <= TwoRoom.DOOR_Y1,
                            "crossed x=0.5 outside the door: " + s[1] + " -> " + n[1]);
                }
                assertTrue(Math.hypot(n[0] - s[0], n[1] - s[1]) <= TwoRoom.SPEED * Math.sqrt(2) + 1e-6);
                s = n;
            }
        }
        assertTrue(crossings > 20, "the adversarial walk should cross the door sometimes, saw " + crossings);
    }

    @Test
    void pushingStraightIntoTheWall_stopsAtTheWallFace_andSlidesAlongIt() {
        TwoRoom env = env();
        env.reset(0);
        env.setState(new float[] {0.3f, 0.2f});
        for (int t = 0; t < 40; t++) {
            env.step(new float[] {1f, 0f});
        }
        float[] s = env.state();
        assertEquals(TwoRoom.WALL_X - WALL_CLEARANCE, s[0], 1e-6, "stopped at the wall face");
        assertEquals(0.2f, s[1], 0f);
        env.step(new float[] {1f, 1f}); // slide: x blocked, y moves at full speed
        assertEquals(TwoRoom.WALL_X - WALL_CLEARANCE, env.state()[0], 1e-6);
        assertEquals(0.2f + TwoRoom.SPEED, env.state()[1], 1e-6);
        // from the right room pushing left, below the door
        env.setState(new float[] {0.8f, 0.9f});
        for (int t = 0; t < 40; t++) {
            env.step(new float[] {-1f, 0f});
        }
        assertEquals(TwoRoom.WALL_X + WALL_CLEARANCE, env.state()[0], 1e-6);
    }

    @Test
    void arenaBorder_stopsTheAgent() {
        TwoRoom env = env();
        env.reset(0);
        env.setState(new float[] {0.2f, 0.2f});
        for (int t = 0; t < 40; t++) {
            env.step(new float[] {-1f, -1f});
        }
        assertArrayEquals(new float[] {(float) TwoRoom.AGENT_RADIUS, (float) TwoRoom.AGENT_RADIUS}, env.state(),
                1e-6f);
    }

    @Test
    void straightThroughTheDoor_crossesToTheOtherRoom() {
        TwoRoom env = env();
        env.reset(0);
        env.setState(new float[] {0.3f, 0.5f});
        for (int t = 0; t < 20; t++) {
            env.step(new float[] {1f, 0f});
        }
        assertEquals(0.8f, env.state()[0], 1e-5);
        assertEquals(0.5f, env.state()[1], 0f);
    }

    @Test
    void doorJambs_blockVerticalMotionInsideTheDoorway() {
        TwoRoom env = env();
        env.reset(0);
        env.setState(new float[] {0.5f, 0.5f});
        for (int t = 0; t < 20; t++) {
            env.step(new float[] {0f, -1f});
        }
        assertEquals(TwoRoom.DOOR_Y0, env.state()[1], 1e-6);
        for (int t = 0; t < 20; t++) {
            env.step(new float[] {0f, 1f});
        }
        assertEquals(TwoRoom.DOOR_Y1, env.state()[1], 1e-6);
    }

    @Test
    void setState_insideTheWall_isAnError() {
        TwoRoom env = env();
        env.reset(0);
        var ex = assertThrows(IllegalArgumentException.class, () -> env.setState(new float[] {0.5f, 0.1f}));
        assertTrue(ex.getMessage().contains("not a free"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> env.setState(new float[] {0.01f, 0.5f}));
        assertThrows(IllegalArgumentException.class, () -> env.setState(new float[] {0.3f}));
    }

    @Test
    void success_within16Over224OfTheGoal() {
        TwoRoom env = env();
        env.reset(0);
        env.setState(new float[] {0.3f, 0.3f});
        assertTrue(env.isSuccess(new float[] {0.3f + 0.07f, 0.3f}));
        assertTrue(env.isSuccess(new float[] {0.35f, 0.35f})); // 0.0707 < 0.0714
        assertFalse(env.isSuccess(new float[] {0.3f + 0.072f, 0.3f}));
        assertFalse(env.isSuccess(new float[] {0.8f, 0.8f}));
    }

    @Test
    void startStates_coverBothRooms() {
        TwoRoom env = env();
        int left = 0, right = 0;
        for (int s = 0; s < 200; s++) {
            env.reset(s);
            if (env.state()[0] < 0.5f) {
                left++;
            } else {
                right++;
            }
        }
        assertTrue(left > 60 && right > 60, left + " left, " + right + " right");
    }

    @Test
    void render_showsWallDoorAndAgent() {
        TwoRoom env = env();
        env.reset(0);
        env.setState(new float[] {0.25f, 0.75f});
        RgbImage img = env.render();
        assertEquals(TwoRoom.WALL_COLOUR, img.get(32, 5), "wall above the door");
        assertEquals(TwoRoom.WALL_COLOUR, img.get(32, 58), "wall below the door");
        assertEquals(TwoRoom.BACKGROUND, img.get(32, 32), "door is open");
        assertEquals(TwoRoom.AGENT_COLOUR, img.get(16, 48), "agent disc");
        assertEquals(TwoRoom.BACKGROUND, img.get(5, 5));
    }

    @Test
    void imageSize_changesOnlyThePixels_notTheDynamics() {
        TwoRoom small = new TwoRoom(EnvConfig.defaults());
        TwoRoom big = new TwoRoom(EnvConfig.defaults().withImageSize(224));
        small.reset(8);
        big.reset(8);
        SplittableRandom r = new SplittableRandom(1);
        for (int t = 0; t < 100; t++) {
            float[] a = {(float) (2 * r.nextDouble() - 1), (float) (2 * r.nextDouble() - 1)};
            small.step(a);
            big.step(a);
            assertArrayEquals(small.state(), big.state());
        }
        big.setState(new float[] {0.25f, 0.75f});
        RgbImage img = big.render();
        assertEquals(224, img.width());
        assertEquals(TwoRoom.WALL_COLOUR, img.get(112, 20));
        assertEquals(TwoRoom.BACKGROUND, img.get(112, 112));
        assertEquals(TwoRoom.AGENT_COLOUR, img.get(56 + 6, 168));
        assertEquals(TwoRoom.BACKGROUND, img.get(56 + 9, 168)); // radius 0.035 * 224 = 7.84 px
    }
}
