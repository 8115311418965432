package io.sluice.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WorldTest {

  @Test
  void readsTheLaunchersVariables() {
    assertEquals(new World(5, 8, 1, 4),
        World.fromEnvironment(Map.of("RANK", "5", "WORLD_SIZE", "8", "LOCAL_RANK", "1", "LOCAL_WORLD_SIZE", "4")));
    assertEquals(World.single(), World.fromEnvironment(Map.of()));
    assertEquals(World.of(2, 3), World.fromEnvironment(Map.of("RANK", "2", "WORLD_SIZE", "3")));
    assertEquals(new World(6, 8, 2, 4), World.ofNode(1, 2, 2, 4));
  }

  @Test
  void badValuesAreRefusedNamingTheVariable() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> World.fromEnvironment(Map.of("RANK", "x", "WORLD_SIZE", "2")));
    assertTrue(e.getMessage().contains("RANK='x'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> World.fromEnvironment(Map.of("RANK", "2", "WORLD_SIZE", "2")));
    assertTrue(e.getMessage().contains("rank must be in [0, 2), was 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> World.of(0, 0));
  }
}
