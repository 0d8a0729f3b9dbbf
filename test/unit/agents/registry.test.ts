import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '@entente/sdk';
import { AgentError, AgentRegistry } from '../../../gateway/src/agents/index.js';

const agent = (name: string, capability: string) =>
  defineAgent({ name, capabilities: [capability], input: z.object({}), output: z.object({}), handler: () => ({}) });

describe('AgentRegistry', () => {
  describe('when two agents serve the same capability', () => {
    it('refuses the second with AGENT_DUPLICATE naming both', () => {
      const register = () => new AgentRegistry([agent('first', 'patients.count'), agent('second', 'patients.count')]);
      expect(register).toThrow(AgentError);
      expect(register).toThrow(expect.objectContaining({ code: 'AGENT_DUPLICATE', message: expect.stringMatching(/first.*second/) }));
    });
  });

  describe('when an agent name is registered twice', () => {
    it('refuses it with AGENT_DUPLICATE', () => {
      expect(() => new AgentRegistry([agent('same', 'a.one'), agent('same', 'a.two')])).toThrow(
        expect.objectContaining({ code: 'AGENT_DUPLICATE' }),
      );
    });
  });

  describe('when no agent serves a capability', () => {
    it('refuses its input with CAPABILITY_UNAVAILABLE', () => {
      expect(() => new AgentRegistry().parseInput('x.y', {})).toThrow(expect.objectContaining({ code: 'CAPABILITY_UNAVAILABLE' }));
    });
  });
});
