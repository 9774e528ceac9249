/** What every part of mkplat shares: exit codes and the one exception that carries them. */
package dev.mkplat.core;
